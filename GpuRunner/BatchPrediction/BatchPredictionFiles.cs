using BertPlatform.Shared.Contracts;

namespace BertPlatform.GpuRunner.BatchPrediction;

/// <summary>
/// Where a batch prediction reads its model (Hugging Face layout) and dataset, and writes its JSON Lines;
/// <paramref name="Unlabeled"/> says the dataset was uploaded without labels (nothing to score).
/// </summary>
public sealed record BatchPredictionFiles(string ModelDirectory, string DatasetPath, DatasetFormat DatasetFormat, string OutputPath, bool Unlabeled = false);
