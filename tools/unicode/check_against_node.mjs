// Compares dump_properties.py's output (stdin) with what Node's own Unicode
// data (ICU: the data Transformers.js and the USE-lite reference run on)
// says about the same code points, and prints the differences by kind.
import fs from "node:fs";

const [version, ...lines] = fs.readFileSync(0, "utf8").trimEnd().split("\n");
const hex = (text) => [...text].map((c) => c.codePointAt(0).toString(16)).join(" ");
const flagsOf = (c) => {
  const cp = c.codePointAt(0);
  let flags = 0;
  if (cp === 0 || cp === 0xfffd || (/^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u.test(c) && !"\t\n\r".includes(c))) flags |= 1;
  if (/^\s$/u.test(c)) flags |= 2;
  if (/^[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]$/u.test(c)) flags |= 4;
  if (/^\p{Mn}$/u.test(c)) flags |= 8;
  if (/^\p{Cased}$/u.test(c)) flags |= 16;
  if (/^\p{Case_Ignorable}$/u.test(c)) flags |= 32;
  return flags;
};
const differences = { flags: [], nfd: [], nfkc: [], lower: [] };
for (const line of lines) {
  const [cpHex, flags, nfd, nfkc, lower] = line.split("\t");
  const c = String.fromCodePoint(parseInt(cpHex, 16));
  if (flagsOf(c) !== Number(flags)) differences.flags.push(`${cpHex}:${flags}->${flagsOf(c)}`);
  if (hex(c.normalize("NFD")) !== nfd) differences.nfd.push(cpHex);
  if (hex(c.normalize("NFKC")) !== nfkc) differences.nfkc.push(cpHex);
  if (hex(c.toLowerCase()) !== lower) differences.lower.push(cpHex);
}
console.log(`tables: Unicode ${version}, ${lines.length} assigned code points; ` +
  `Node ${process.version}: Unicode ${process.versions.unicode}`);
for (const [kind, list] of Object.entries(differences)) {
  console.log(`${kind}: ${list.length} differ${list.length ? ": " + list.slice(0, 40).join(" ") : ""}`);
}
