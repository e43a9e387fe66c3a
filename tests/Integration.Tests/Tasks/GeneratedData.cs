using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BertPlatform.Integration.Tests.Tasks;

/// <summary>
/// Small seeded datasets with a rule a tiny BERT can learn in seconds, in every upload format. Every word is a
/// whole token of <see cref="Vocabulary"/>, so the tiny base models need no sub-word pieces.
/// </summary>
public static class GeneratedData
{
    public static readonly string[] Positive = ["great", "excellent", "wonderful", "lovely", "superb"];
    public static readonly string[] Negative = ["awful", "terrible", "horrible", "dreadful", "poor"];
    public static readonly string[] Neutral = ["average", "ordinary", "typical", "standard", "usual"];
    public static readonly string[] Fillers = ["the", "movie", "food", "service", "was", "really", "quite", "this", "that", "place", "hotel", "staff", "and", "very", "it", "is"];
    public static readonly string[] Animals = ["cat", "dog", "bird", "horse"];
    public static readonly string[] Actions = ["sleeps", "runs", "eats", "jumps", "sits"];
    public static readonly string[] People = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
    public static readonly string[] Surnames = ["smith", "jones", "brown"];
    public static readonly string[] Cities = ["paris", "london", "rome", "berlin", "tokyo", "madrid"];
    public static readonly string[] Companies = ["google", "acme", "nasa", "oxfam", "ikea"];
    public static readonly string[] Foods = ["pizza", "pasta", "sushi", "soup", "bread"];
    public static readonly string[] HappyMoods = ["happy", "glad", "cheerful", "joyful"];
    public static readonly string[] SadMoods = ["sad", "upset", "angry", "gloomy"];
    public static readonly string[] Other =
    [
        "a", "visited", "with", "met", "works", "at", "in", "yesterday", "lives", "likes", "where", "does", "live", "work",
        "what", "like", "then", "so", "she", "felt", "he", "day", "how", "did", "they", "feel", "?", ".", ",",
    ];

    public static IEnumerable<string> Vocabulary =>
        new[] { Positive, Negative, Neutral, Fillers, Animals, Actions, People, Surnames, Cities, Companies, Foods, HappyMoods, SadMoods, Other }
            .SelectMany(w => w).Distinct();

    /// <summary>CSV: three-class sentiment, decided by the one sentiment word among fillers.</summary>
    public static string SentimentCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("text,label\n");
        string[] labels = ["positive", "negative", "neutral"];
        for (var i = 0; i < rows; i++)
        {
            var label = i % 3;
            var word = Pick(random, label switch { 0 => Positive, 1 => Negative, _ => Neutral });
            csv.Append(Sentence(random, word)).Append(',').Append(labels[label]).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>JSONL sentence pairs: "same" when both sentences are about the same animal, else "different".</summary>
    public static string AnimalPairsJsonl(int rows, int seed)
    {
        var random = new Random(seed);
        var lines = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var first = Pick(random, Animals);
            var same = i % 2 == 0;
            var second = same ? first : Pick(random, Animals.Where(a => a != first).ToArray());
            lines.AppendLine(JsonSerializer.Serialize(new
            {
                text = $"the {first} {Pick(random, Actions)}",
                text_pair = $"a {second} {Pick(random, Actions)}",
                label = same ? "same" : "different",
            }));
        }
        return lines.ToString();
    }

    /// <summary>CSV regression: the score is the number of positive words (0 to 3) in the sentence.</summary>
    public static string PositivityScoresCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("text,label\n");
        for (var i = 0; i < rows; i++)
        {
            var count = i % 4;
            var words = Enumerable.Range(0, 5).Select(_ => Pick(random, Fillers)).ToList();
            for (var k = 0; k < count; k++) words.Insert(random.Next(words.Count + 1), Pick(random, Positive));
            csv.Append(string.Join(' ', words)).Append(',').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>One generated NER sentence: tokens with IOB2 tags (PER may span two tokens).</summary>
    public static (string[] Tokens, string[] Tags) NerSentence(Random random)
    {
        var tokens = new List<string>();
        var tags = new List<string>();
        void Add(string token, string tag)
        {
            tokens.Add(token);
            tags.Add(tag);
        }
        void Person()
        {
            Add(Pick(random, People), "B-PER");
            if (random.Next(3) == 0) Add(Pick(random, Surnames), "I-PER");
        }
        switch (random.Next(3))
        {
            case 0:
                Person(); Add("visited", "O"); Add(Pick(random, Cities), "B-LOC"); Add("with", "O"); Person();
                break;
            case 1:
                Person(); Add("works", "O"); Add("at", "O"); Add(Pick(random, Companies), "B-ORG"); Add("in", "O"); Add(Pick(random, Cities), "B-LOC");
                break;
            default:
                Add("yesterday", "O"); Person(); Add("met", "O"); Person(); Add("at", "O"); Add(Pick(random, Companies), "B-ORG");
                break;
        }
        Add(".", "O");
        return (tokens.ToArray(), tags.ToArray());
    }

    /// <summary>CoNLL: token and tag per line, a blank line between sentences.</summary>
    public static string NerConll(int sentences, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            var (tokens, tags) = NerSentence(random);
            for (var t = 0; t < tokens.Length; t++) text.Append(tokens[t]).Append(' ').Append(tags[t]).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>JSONL NER: <c>{"tokens", "tags"}</c> per sentence.</summary>
    public static string NerJsonl(int sentences, int seed)
    {
        var random = new Random(seed);
        var lines = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            var (tokens, tags) = NerSentence(random);
            lines.AppendLine(JsonSerializer.Serialize(new { tokens, tags }));
        }
        return lines.ToString();
    }

    /// <summary>
    /// SQuAD v2.0 JSON: each context states two of three kinds of fact (where someone lives, works, what someone
    /// likes); a question asks with the fact's own verb, and a question about the kind the context lacks is unanswerable.
    /// </summary>
    public static string FactsSquad(int paragraphs, int seed)
    {
        var random = new Random(seed);
        var data = new List<object>();
        var questionId = 0;
        for (var p = 0; p < paragraphs; p++)
        {
            var people = People.OrderBy(_ => random.Next()).Take(3).ToArray();
            var facts = new[]
            {
                (Sentence: $"{people[0]} lives in {{0}} .", Answer: Pick(random, Cities), Question: "where {0} lives ?"),
                (Sentence: $"{people[1]} works at {{0}} .", Answer: Pick(random, Companies), Question: "where {0} works ?"),
                (Sentence: $"{people[2]} likes {{0}} .", Answer: Pick(random, Foods), Question: "what {0} likes ?"),
            }.Select((f, i) => (Sentence: string.Format(CultureInfo.InvariantCulture, f.Sentence, f.Answer), f.Answer, f.Question, Person: people[i]))
                .OrderBy(_ => random.Next()).ToArray();
            var (stated, missing) = (facts[..2], facts[2]);
            var context = string.Join(' ', stated.Select(f => f.Sentence));
            var questions = new List<object>();
            foreach (var fact in stated)
            {
                var unanswerable = random.Next(3) == 0;
                var asked = unanswerable ? missing : fact;
                var start = context.IndexOf(fact.Sentence, StringComparison.Ordinal) + fact.Sentence.LastIndexOf(fact.Answer, StringComparison.Ordinal);
                questions.Add(new Dictionary<string, object>
                {
                    ["id"] = $"q{questionId++}",
                    ["question"] = string.Format(CultureInfo.InvariantCulture, asked.Question, asked.Person),
                    ["answers"] = unanswerable ? Array.Empty<object>() : new object[] { new { text = fact.Answer, answer_start = start } },
                    ["is_impossible"] = unanswerable,
                });
            }
            data.Add(new { title = $"facts {p}", paragraphs = new[] { new { context, qas = questions } } });
        }
        return JsonSerializer.Serialize(new { version = "v2.0", data });
    }

    /// <summary>JSONL, SWAG shape: four endings, one per animal; the one about the context's animal is right.</summary>
    public static string AnimalChoicesJsonl(int rows, int seed)
    {
        var random = new Random(seed);
        var lines = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var order = Animals.OrderBy(_ => random.Next()).ToArray();
            var answer = random.Next(order.Length);
            lines.AppendLine(JsonSerializer.Serialize(new
            {
                context = $"the {order[answer]} {Pick(random, Actions)} and {Pick(random, Fillers)}",
                question = "then",
                endings = order.Select(animal => $"the {animal} {Pick(random, Actions)}").ToArray(),
                label = answer,
            }));
        }
        return lines.ToString();
    }

    private static string Sentence(Random random, string keyword)
    {
        var words = Enumerable.Range(0, 3 + random.Next(4)).Select(_ => Pick(random, Fillers)).ToList();
        words.Insert(random.Next(words.Count + 1), keyword);
        return string.Join(' ', words);
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
