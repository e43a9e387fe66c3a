using BertPlatform.Shared.Contracts;
using BertPlatform.Shared.Datasets;
using BertPlatform.Shared.Tasks;

namespace BertPlatform.Shared.Tests.Datasets;

public class CancellationTests
{
    [Theory]
    [InlineData(DatasetFormat.Csv, TaskType.TextClassification)]
    [InlineData(DatasetFormat.Jsonl, TaskType.TextClassification)]
    [InlineData(DatasetFormat.Squad, TaskType.QuestionAnswering)]
    public async Task A_cancelled_upload_stops_the_validation(DatasetFormat format, TaskType task)
    {
        using var cancellation = new CancellationTokenSource();
        IEnumerable<string> Endless()
        {
            yield return format switch { DatasetFormat.Csv => "text,label\n", DatasetFormat.Squad => "{\"data\": [", _ => "" };
            for (var i = 0; ; i++)
            {
                if (i == 10_000) cancellation.Cancel();
                yield return format switch
                {
                    DatasetFormat.Csv => "some text,a\n",
                    DatasetFormat.Squad => (i == 0 ? "" : ",") + "{\"paragraphs\": [{\"context\": \"c\", \"qas\": [{\"id\": \"1\", \"question\": \"q\", \"answers\": [{\"text\": \"c\", \"answer_start\": 0}]}]}]}",
                    _ => "{\"text\":\"t\",\"label\":\"a\"}\n",
                };
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TaskCatalog.For(task).ValidateAsync(new GeneratedStream(Endless()), format, ColumnMapping.Default, null, cancellation.Token));
    }
}
