// Torch's default random generator is process-wide: weight initialisation and dropout in one test would draw from
// the stream another test seeded. Tests that check bit-for-bit repeatability need it to themselves, and torch already
// spreads each operation over the cores, so the classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
