// Writes SIZE_MB MiB (or the first MAX_ROWS rows) of a generated text-classification CSV (text,label; three labels
// in turn) to stdout, a chunk at a time and waiting for the reader, so neither this process nor the disk need hold
// the whole file:
//   node tools/lib/reviews-csv.js SIZE_MB [MAX_ROWS] > data.csv      or      ... | curl -T - ...
// The memory harnesses' input: the rows are deterministic, so two runs upload the same bytes, and the first rows of a
// large file make a validation set that follows its rule.
const target = Number(process.argv[2]) * 1024 * 1024;
const maxRows = process.argv[3] ? Number(process.argv[3]) : Infinity;
const words = ["great", "awful", "product", "service", "fast", "slow", "battery", "screen", "support", "price", "quality", "delivery"];
let written = 0, row = 0;
process.stdout.write("text,label\n"); written += 11;
function pump() {
  let ok = true;
  while (ok && written < target && row < maxRows) {
    let chunk = "";
    for (let i = 0; i < 1000 && row < maxRows; i++, row++) {
      const n = 8 + (row % 17);
      let text = "";
      for (let w = 0; w < n; w++) text += (w ? " " : "") + words[(row * 7 + w * 3) % words.length];
      chunk += text + " " + row + "," + (row % 3 === 0 ? "negative" : row % 3 === 1 ? "neutral" : "positive") + "\n";
    }
    written += Buffer.byteLength(chunk);
    ok = process.stdout.write(chunk);
  }
  if (written < target && row < maxRows) process.stdout.once("drain", pump);
}
pump();
