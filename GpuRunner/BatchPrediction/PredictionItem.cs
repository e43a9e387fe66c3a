using System.Text.Json.Nodes;

namespace BertPlatform.GpuRunner.BatchPrediction;

/// <summary>One dataset record as the predict endpoint's input, with what it was labelled (the scorer's reference).</summary>
public sealed record PredictionItem(string Location, JsonObject Input, object Reference);
