using BertPlatform.GpuRunner.Pretraining;
using BertPlatform.Shared.Tokenization;

namespace BertPlatform.GpuRunner.Tests.Pretraining;

/// <summary>
/// Generated sentences mixing scripts the way a multilingual corpus does: Latin words with accents and
/// capitals from a syllable inventory (so words share stems and endings for WordPiece to find), Cyrillic
/// words, runs of CJK ideographs, digits and punctuation. Word frequencies are Zipf-like.
/// </summary>
public static class SyntheticMultilingualText
{
    private static readonly string[] LatinSyllables =
        ["ka", "ne", "ri", "to", "mu", "sa", "lé", "bo", "dö", "gi", "ver", "str", "an", "ung", "ção", "ment", "ie", "ñi"];
    private static readonly string[] CyrillicSyllables = ["ка", "не", "ри", "то", "му", "са", "ло", "ва", "ст", "ый"];
    private static readonly string[] Punctuation = [",", ".", ";", "!", "?", "(", ")", "«", "»", "—"];
    private const string Ideographs = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷域读";

    public static IEnumerable<string> Sentences(int count, int seed)
    {
        var random = new PretrainingRandom(seed);
        var latinWords = Vocabulary(random, LatinSyllables, 3_000);
        var cyrillicWords = Vocabulary(random, CyrillicSyllables, 800);
        for (var n = 0; n < count; n++)
        {
            var words = new List<string>();
            var length = random.NextInt(4, 18);
            for (var w = 0; w < length; w++)
            {
                var kind = random.NextDouble();
                var word = kind < 0.65 ? Zipf(random, latinWords)
                    : kind < 0.8 ? Zipf(random, cyrillicWords)
                    : kind < 0.9 ? string.Concat(Enumerable.Range(0, random.NextInt(2, 5))
                        .Select(_ => Ideographs[Math.Min(Ideographs.Length - 1, (int)(Ideographs.Length * Math.Pow(random.NextDouble(), 2)))]))
                    : kind < 0.95 ? random.NextInt(0, 2_030).ToString()
                    : Punctuation[random.NextInt(0, Punctuation.Length - 1)];
                if (w == 0 && char.IsLower(word[0])) word = char.ToUpperInvariant(word[0]) + word[1..];
                words.Add(word);
            }
            yield return string.Join(' ', words) + ".";
        }
    }

    private static string[] Vocabulary(PretrainingRandom random, string[] syllables, int size) =>
        Enumerable.Range(0, size)
            .Select(_ => string.Concat(Enumerable.Range(0, random.NextInt(1, 4))
                .Select(_ => syllables[random.NextInt(0, syllables.Length - 1)])))
            .ToArray();

    /// <summary>Rank r drawn with probability about 1/r: a few words dominate, most are rare.</summary>
    private static string Zipf(PretrainingRandom random, string[] words) =>
        words[Math.Min(words.Length - 1, (int)Math.Exp(random.NextDouble() * Math.Log(words.Length)) - 1)];
}
