// USE-lite from text: tinyenc's SentencePiece tokenizer, reading the
// vocabulary convert_tfjs_use.py wrote, gives the reference runtime's ids
// for every sentence of sentences.txt, and the F32 model then gives its
// embeddings (the bounds of use_embedding_test.cc).
#include <algorithm>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "tests/models/encoder_test_util.h"
#include "tests/models/use/use_test_util.h"
#include "tests/test_util.h"
#include "tinyenc/tokenizer.h"

namespace tinyenc {
namespace test {
namespace {

TEST_CASE("USE-lite: text to ids to embedding, as the reference runtime") {
  const std::vector<UseSentence>& corpus = UseCorpus();
  const UseModel loaded("f32");
  const EncoderConfig& config = loaded.model.config();
  size_t bytes = 0;
  REQUIRE(Tokenizer::MemoryBytes(loaded.model, &bytes).ok());
  std::vector<uint64_t> memory((bytes + 7) / 8);
  Tokenizer tokenizer;
  Status status = tokenizer.Init(loaded.model, memory.data(), bytes);
  REQUIRE_MESSAGE(status.ok(), status.message());
  REQUIRE(tokenizer.type() == TokenizerType::kUnigram);
  SizedSession sized(loaded.model, config.context_length, 1);

  size_t same_ids = 0;
  double max_abs = 0.0, min_cosine = 1.0;
  for (const UseSentence& sentence : corpus) {
    const size_t scratch_bytes = tokenizer.ScratchBytes(sentence.text.size());
    std::vector<uint64_t> scratch((scratch_bytes + 7) / 8);
    std::vector<int32_t> ids(config.context_length);
    size_t count = 0, untruncated = 0;
    status = tokenizer.Encode(sentence.text.data(), sentence.text.size(), ids.data(), ids.size(),
                              &count, scratch.data(), scratch_bytes, &untruncated);
    REQUIRE_MESSAGE(status.ok(), status.message());
    ids.resize(count);
    const size_t kept = std::min(sentence.ids.size(), size_t{config.context_length});
    const bool same = untruncated == sentence.ids.size() &&
                      std::equal(ids.begin(), ids.end(), sentence.ids.begin(),
                                 sentence.ids.begin() + kept) && count == kept;
    CHECK_MESSAGE(same, "ids differ for: ", sentence.text);
    same_ids += same ? 1 : 0;

    SequenceInput input;
    input.token_ids = ids.data();
    input.length = ids.size();
    status = sized.session.Encode(&input, 1);
    REQUIRE_MESSAGE(status.ok(), status.message());
    const float* got = sized.session.Embedding(0);
    min_cosine = WorseCosine(min_cosine, Cosine(got, sentence.embedding.data(), 512));
    max_abs = WorseError(max_abs, MaxAbsError(got, sentence.embedding.data(), 512));
  }
  MESSAGE(same_ids, " of ", corpus.size(), " sentences: reference ids; embeddings from text: "
          "min cosine ", min_cosine, ", max |delta| ", max_abs);
  CHECK(min_cosine >= 0.99999);
  CHECK(max_abs <= 1e-5);
}

}  // namespace
}  // namespace test
}  // namespace tinyenc
