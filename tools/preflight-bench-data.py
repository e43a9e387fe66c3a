#!/usr/bin/env python3
"""Writes the data the README's pre-flight timing used: big-train.csv (100,000 rows) and big-val.csv (10,000 rows),
texts of 10-59 words alternating English and German, no language column, into the folder given (default: .)."""
import csv, os, random, sys

folder = sys.argv[1] if len(sys.argv) > 1 else "."
random.seed(1)
en = "the food was really great and the staff were friendly but the room was small and noisy at night".split()
de = "das Essen war wirklich gut und das Personal freundlich aber das Zimmer war klein und nachts laut".split()
for name, rows in (("big-train.csv", 100_000), ("big-val.csv", 10_000)):
    with open(os.path.join(folder, name), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        for i in range(1, rows + 1):
            words = en if i % 2 == 0 else de
            text = " ".join(random.choice(words) for _ in range(random.randint(10, 59))) + f" {i}"
            writer.writerow([text, "neg" if i % 3 == 0 else "pos"])
