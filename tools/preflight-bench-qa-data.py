#!/usr/bin/env python3
"""Writes the question-answering data the README's pre-flight timing used: qa-train.jsonl (20,000 questions) and
qa-val.jsonl (2,000), SQuAD-like: 5 questions per context of 80-400 words (English and German alternating), one
answer of 1-4 words each (every tenth question unanswerable), into the folder given (default: .)."""
import json, os, random, sys

folder = sys.argv[1] if len(sys.argv) > 1 else "."
random.seed(1)
en = "the food was really great and the staff were friendly but the room was small and noisy at night".split()
de = "das Essen war wirklich gut und das Personal freundlich aber das Zimmer war klein und nachts laut".split()
for name, questions in (("qa-train.jsonl", 20_000), ("qa-val.jsonl", 2_000)):
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        for i in range(questions):
            if i % 5 == 0:
                words = en if (i // 5) % 2 == 0 else de
                context_words = [random.choice(words) for _ in range(random.randint(80, 400))] + [str(i)]
                context = " ".join(context_words)
            first = random.randrange(len(context_words) - 4)
            answer = " ".join(context_words[first:first + random.randint(1, 4)])
            start = len(" ".join(context_words[:first])) + (1 if first else 0)
            question = " ".join(random.choice(words) for _ in range(random.randint(4, 12))) + f" {i}?"
            answers = {"text": [], "answer_start": []} if i % 10 == 9 else {"text": [answer], "answer_start": [start]}
            f.write(json.dumps({"id": f"q{i}", "question": question, "context": context, "answers": answers}, ensure_ascii=False) + "\n")
