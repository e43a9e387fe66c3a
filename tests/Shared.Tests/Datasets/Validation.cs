using System.Text;
using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

/// <summary>Validates dataset text given inline, the way the tests write their datasets.</summary>
internal static class Validation
{
    public static Task<ValidationReport> Run(string content, DatasetFormat format, TaskType task,
        ProblemType? problemType = null, ColumnMapping? columns = null) =>
        Run(Encoding.UTF8.GetBytes(content), format, task, problemType, columns);

    public static Task<ValidationReport> Run(byte[] content, DatasetFormat format, TaskType task,
        ProblemType? problemType = null, ColumnMapping? columns = null) =>
        TaskCatalog.For(task).ValidateAsync(new MemoryStream(content), format, columns ?? ColumnMapping.Default, problemType, CancellationToken.None);

    /// <summary>The errors as "location | column | message" lines, which makes a failing assertion readable.</summary>
    public static string[] Describe(ValidationReport report) =>
        report.Errors.Select(error => $"{error.Location} | {error.Column} | {error.Message}").ToArray();

    /// <summary>Compares all errors as one text, so that a failure shows the whole of every message.</summary>
    public static void AssertErrors(ValidationReport report, params string[] expected) =>
        Assert.Equal(string.Join("\n", expected), string.Join("\n", Describe(report)));

    public static DatasetError Single(ValidationReport report)
    {
        Assert.False(report.IsValid);
        return Assert.Single(report.Errors);
    }

    /// <summary>Writes content to a temporary file for <see cref="DatasetReader"/>, deleted on dispose.</summary>
    public sealed class TempFile : IDisposable
    {
        public TempFile(string content)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, content, new UTF8Encoding(false));
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
