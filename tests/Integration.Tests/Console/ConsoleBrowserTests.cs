using System.Text.Json;
using BertPlatform.Functions.Tests.OpenApi;
using BertPlatform.GpuRunner.Modeling;
using BertPlatform.GpuRunner.Tasks;
using BertPlatform.GpuRunner.Worker;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;

namespace BertPlatform.Integration.Tests.Console;

/// <summary>
/// The web console in a real browser against the real stack: the local Functions host, Azurite and a runner with
/// the real trainer on a tiny BERT. A user uploads data, submits a job, watches its curves grow, and downloads the model.
/// </summary>
[Collection("console")]
public sealed class ConsoleBrowserTests(PlatformFixture platform) : IDisposable
{
    private const string BaseModel = "console-tiny-bert";
    private readonly string files = Directory.CreateTempSubdirectory("console-files-").FullName;

    public void Dispose() => Directory.Delete(files, recursive: true);

    private Uri Console => new(platform.BaseAddress, "api/console");

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(files, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static void Upload(HeadlessChromium browser, string path, string name)
    {
        browser.Visible("#upload-file").SendKeys(path);
        var nameInput = browser.Visible("#upload-name");
        nameInput.Clear();
        nameInput.SendKeys(name);
        Choose(browser, "#upload-task", o => o.GetAttribute("value") == "text_classification");
        Choose(browser, "#upload-format", o => o.GetAttribute("value") == "csv");
        browser.Visible("#upload-submit").Click();
    }

    [Fact]
    public void A_bad_upload_shows_its_row_errors_and_stores_nothing()
    {
        using var browser = new HeadlessChromium();
        browser.GoTo(Console);
        var bad = WriteFile("bad-reviews.csv", "text,label\ngreat product,positive\n,negative\nawful,negative,extra\n");

        Upload(browser, bad, "bad-reviews");

        var rows = browser.Until(d => d.FindElements(By.CssSelector("#upload-errors tbody tr")) is { Count: > 0 } r ? r : null, "row errors")!;
        var errors = rows.Select(r => r.Text).ToList();
        Assert.Contains(errors, e => e.Contains("row 2") && e.Contains("text") && e.Contains("empty"));
        Assert.Contains(errors, e => e.Contains("row 3") && e.Contains("3 fields found"));
        browser.Screenshot("datasets-rejected");
        Assert.DoesNotContain("bad-reviews", browser.Until(d => d.FindElement(By.Id("dataset-list")).Text is { Length: > 0 } t && !t.StartsWith("Loading") ? t : null, "the dataset list"));
    }

    [Fact]
    public async Task A_user_uploads_data_trains_a_model_watching_its_curves_and_downloads_a_file()
    {
        await TinySentimentModel.SeedAsync(platform, BaseModel);
        using var browser = new HeadlessChromium();
        browser.GoTo(Console);
        Assert.EndsWith("/api/console/#/datasets", browser.Until(d => d.Url.EndsWith("#/datasets") ? d.Url : null, "the datasets page"));

        Upload(browser, WriteFile("reviews-train.csv", TinySentimentModel.Reviews(240, seed: 1)), "reviews-train");
        Assert.Contains("240 rows", browser.Visible("#upload-valid").Text);
        Upload(browser, WriteFile("reviews-validation.csv", TinySentimentModel.Reviews(60, seed: 2)), "reviews-validation");
        browser.Until(d => d.FindElement(By.Id("upload-valid")).Text.Contains("reviews-validation"), "the second upload");
        browser.Until(d => d.FindElements(By.CssSelector("#datasets tbody tr")).Count == 2, "both datasets listed");
        browser.Screenshot("datasets");

        // The job form: defaults from the API's description, and the API's own message at the field it concerns.
        browser.Visible("nav a[data-section=jobs]").Click();
        browser.Visible("#job-form");
        Assert.Equal("3", browser.Visible("#f-hyperparameters\\.epochs").GetAttribute("value"));
        SetField(browser, "baseModel", BaseModel);
        Choose(browser, "#f-trainingDataset", o => Label(o).StartsWith("reviews-train ", StringComparison.Ordinal));
        Choose(browser, "#f-validationDataset", o => Label(o).StartsWith("reviews-validation ", StringComparison.Ordinal));
        SetField(browser, "hyperparameters.learningRate", "3");
        browser.Visible("#job-submit").Click();
        var message = browser.Until(d => d.FindElement(By.Id("err-hyperparameters.learningRate")).Text is { Length: > 0 } t ? t : null, "the learning-rate message");
        Assert.Contains("learningRate must be in (0, 1]", message);
        Assert.Equal("true", browser.Driver.FindElement(By.Id("f-hyperparameters.learningRate")).GetAttribute("aria-invalid"));
        browser.Screenshot("job-form-errors");

        SetField(browser, "hyperparameters.learningRate", "0.002");
        SetField(browser, "hyperparameters.epochs", "30");
        SetField(browser, "hyperparameters.batchSize", "8");
        SetField(browser, "hyperparameters.maxSequenceLength", "32");
        SetField(browser, "hyperparameters.seed", "5");

        browser.Visible("#job-submit").Click();
        var jobId = browser.Until(d => d.Url.Contains("#/jobs/job-") ? d.Url[(d.Url.IndexOf("#/jobs/", StringComparison.Ordinal) + 7)..] : null, "the job page");
        // No runner exists yet, so the page shows the job queued with an empty loss chart. Every point it shows later
        // came live, without a reload, however fast this machine trains the job once the runner starts.
        var queuedPoints = browser.Until(d => Status(d) == "queued" ? LossPoints(d) : (int?)null, "the queued job");
        Assert.Equal(0, queuedPoints);

        using var runner = platform.Runner(new TaskExecutor(Devices.Resolve("cpu")), "console-runner");
        using var stop = new CancellationTokenSource();
        var loop = runner.GetRequiredService<JobWorker>().RunAsync(stop.Token);
        try
        {
            var livePoints = browser.Until(d => LossPoints(d) > 0 ? LossPoints(d) : (int?)null, "the loss chart to gain points");
            browser.Screenshot("job-running");

            Assert.Equal("succeeded", browser.Until(d => Status(d) is "succeeded" or "failed" or "cancelled" ? Status(d) : null, "the job to finish"));
            var published = browser.Visible("#published").Text;
            Assert.Contains("was published", published);
            Assert.Matches(@"step \d+ of \d+", published);
            Assert.True(LossPoints(browser.Driver) >= livePoints);
            Assert.True(int.Parse(browser.Driver.FindElement(By.Id("chart-eval")).GetAttribute("data-points")!) > 1, "evaluation curve");
            Assert.Contains(browser.Driver.FindElements(By.CssSelector("#event-log tbody tr")), r => r.GetAttribute("data-kind") == "checkpoint");
            browser.Screenshot("job-succeeded");

            browser.Visible("#published-model-link").Click();
            var config = browser.Until(d => d.FindElements(By.CssSelector("#model-files a")).FirstOrDefault(a => a.Text == "config.json"), "the model's files")!;
            Assert.Contains(browser.Driver.FindElements(By.CssSelector("#model-metrics th")), th => th.Text == "accuracy");
            browser.Screenshot("model");
            config.Click();
            var downloaded = Path.Combine(browser.DownloadDirectory, "config.json");
            browser.Until(_ => File.Exists(downloaded) && new FileInfo(downloaded).Length > 0, "config.json to download");
            using var json = JsonDocument.Parse(File.ReadAllText(downloaded));
            Assert.Equal("bert", json.RootElement.GetProperty("model_type").GetString());

            // The published model, as the API describes it.
            var contract = OpenApiContract.Load();
            using var client = platform.Client();
            using var model = await client.GetAsync($"api/models/{jobId}");
            await contract.AssertMatchesAsync(model, "GET", "/models/{id}");
            using var models = await client.GetAsync("api/models");
            await contract.AssertMatchesAsync(models, "GET", "/models");
            using var file = await client.GetAsync($"api/models/{jobId}/files/metrics.json");
            await contract.AssertMatchesAsync(file, "GET", "/models/{id}/files/{path}");

            // Try the model: a typed review gets the label the predict endpoint gives it, with a score per label.
            const string review = "the food was superb and the service was lovely";
            browser.Visible("#try-text").SendKeys(review);
            browser.Visible("#try-submit").Click();
            var label = browser.Until(d => d.FindElements(By.Id("try-label")).FirstOrDefault()?.Text is { Length: > 0 } t ? t : null, "the predicted label");
            var served = await Tasks.PredictEndpoint.PredictAsync(client, jobId!, [new { text = review }]);
            Assert.Equal(served[0]["label"]!.GetValue<string>(), label);
            Assert.Contains(label, new[] { "positive", "negative" });
            Assert.Equal(2, browser.Driver.FindElements(By.CssSelector("#try-scores tbody tr")).Count);
            browser.Screenshot("model-try");
            // The API's error appears at the field it names.
            ((IJavaScriptExecutor)browser.Driver).ExecuteScript("document.getElementById('try-text').value = 'a'.repeat(20001)");
            browser.Visible("#try-submit").Click();
            var tooLong = browser.Until(d => d.FindElement(By.Id("try-err-text")).Text is { Length: > 0 } t ? t : null, "the text field's error");
            Assert.Contains("inputs[0].text has 20001 characters", tooLong);
            Assert.Equal("true", browser.Driver.FindElement(By.Id("try-text")).GetAttribute("aria-invalid"));

            // A batch prediction over the validation set, from the model page to its downloadable predictions.
            Choose(browser, "#batch-dataset", o => Label(o).StartsWith("reviews-validation ", StringComparison.Ordinal));
            browser.Visible("#batch-submit").Click();
            browser.Until(d => d.Url.Contains("#/jobs/job-") && !d.Url.EndsWith(jobId!, StringComparison.Ordinal) ? d.Url : null, "the batch prediction's page");
            Assert.Equal("succeeded", browser.Until(d => Status(d) is "succeeded" or "failed" or "cancelled" ? Status(d) : null, "the batch prediction to finish"));
            Assert.Contains("60 predictions", browser.Visible("#published").Text);
            Assert.Contains(browser.Driver.FindElements(By.CssSelector("#prediction-metrics th")), th => th.Text == "accuracy");
            browser.Visible("#predictions-link");
            browser.Screenshot("batch-prediction");
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
        }
    }

    private static string Status(IWebDriver driver) => driver.FindElement(By.Id("job-status")).Text;

    private static int LossPoints(IWebDriver driver) => int.Parse(driver.FindElement(By.Id("chart-loss")).GetAttribute("data-points")!);

    private static void SetField(HeadlessChromium browser, string field, string value)
    {
        var input = browser.Visible($"#f-{field.Replace(".", "\\.", StringComparison.Ordinal)}");
        input.Clear();
        input.SendKeys(value);
    }

    /// <summary>An option's text whether or not its list is open (WebDriver's Text is only what is on screen).</summary>
    private static string Label(IWebElement option) => option.GetDomProperty("text") ?? "";

    /// <summary>Picks an option of a select by clicking it, as a user would (the options arrive asynchronously).</summary>
    private static void Choose(HeadlessChromium browser, string select, Func<IWebElement, bool> option)
    {
        var choice = browser.Until(d => d.FindElements(By.CssSelector($"{select} option")).FirstOrDefault(option), $"an option of {select}")!;
        choice.Click();
        browser.Until(_ => choice.Selected, $"the option of {select} to be selected");
    }
}
