"""Writes google_reference.json: instances made by Google's own create_instances_from_document
(google-research/bert, create_pretraining_data.py) driven by a Python twin of PretrainingRandom, so the C#
port can be compared with the reference draw for draw. Google's file is read from the path given, not copied.

    python3 generate.py /path/to/google-research/bert/create_pretraining_data.py
"""
import collections
import json
import sys

MASK64 = (1 << 64) - 1


class XoshiroRandom:
    """Same stream as BertPlatform.GpuRunner.Pretraining.PretrainingRandom (xoshiro256**, SplitMix64 seeding)."""

    def __init__(self, seed):
        state = seed & MASK64
        self.s = []
        for _ in range(4):
            state = (state + 0x9E3779B97F4A7C15) & MASK64
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK64

    def next_uint64(self):
        s = self.s
        result = (self._rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return result

    def random(self):
        return (self.next_uint64() >> 11) * (1.0 / (1 << 53))

    def randint(self, a, b):
        span = b - a + 1
        threshold = ((1 << 64) - span) % span
        while True:
            draw = self.next_uint64()
            if draw >= threshold:
                return a + draw % span

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.randint(0, i)
            items[i], items[j] = items[j], items[i]


class TrainingInstance:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def load_reference(path, whole_word_mask):
    source = open(path, encoding="utf-8").read()
    start = source.index("def create_instances_from_document")
    end = source.index("def main(_)")
    flags = type("Flags", (), {"do_whole_word_mask": whole_word_mask})
    namespace = {"collections": collections, "FLAGS": flags, "TrainingInstance": TrainingInstance}
    exec(source[start:end], namespace)
    return namespace["create_instances_from_document"]


def corpus():
    rng = XoshiroRandom(2024)
    words = ["w%d" % i for i in range(40)]
    pieces = ["##p%d" % i for i in range(20)]
    documents = []
    for d in range(12):
        document = []
        for _ in range(rng.randint(1, 9)):
            sentence = []
            for _ in range(rng.randint(1, 12)):
                sentence.append(words[rng.randint(0, len(words) - 1)])
                while rng.random() < 0.3:
                    sentence.append(pieces[rng.randint(0, len(pieces) - 1)])
            document.append(sentence)
        documents.append(document)
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words + pieces
    return documents, vocabulary


def main():
    documents, vocabulary = corpus()
    cases = []
    for whole_word_mask, seed, max_seq_length, short_seq_prob in [(False, 1, 32, 0.1), (True, 2, 24, 0.3)]:
        create = load_reference(sys.argv[1], whole_word_mask)
        rng = XoshiroRandom(seed)
        instances = []
        for _ in range(3):
            for index in range(len(documents)):
                for instance in create(documents, index, max_seq_length, short_seq_prob, 0.15, 5, vocabulary, rng):
                    instances.append({
                        "tokens": instance.tokens,
                        "segment_ids": instance.segment_ids,
                        "is_random_next": instance.is_random_next,
                        "masked_lm_positions": instance.masked_lm_positions,
                        "masked_lm_labels": instance.masked_lm_labels,
                    })
        cases.append({
            "whole_word_mask": whole_word_mask, "seed": seed, "max_seq_length": max_seq_length,
            "short_seq_prob": short_seq_prob, "masked_lm_prob": 0.15, "max_predictions_per_seq": 5,
            "dupe_factor": 3, "instances": instances,
        })
    check = XoshiroRandom(12345)
    random_check = {"seed": 12345, "uint64": [str(check.next_uint64()) for _ in range(4)],
                    "randint_0_9": [check.randint(0, 9) for _ in range(16)], "random": [check.random() for _ in range(4)]}
    reference = {"random_check": random_check, "vocabulary": vocabulary, "documents": documents, "cases": cases}
    with open("google_reference.json", "w", encoding="utf-8") as out:
        json.dump(reference, out, separators=(",", ":"))
    print(sum(len(c["instances"]) for c in cases), "instances")


if __name__ == "__main__":
    main()
