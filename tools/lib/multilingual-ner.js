// Generated multilingual NER sentences (JSONL, IOB2 tags, a `language` field) for tools/multilingual-insight.sh:
// the same people and places in English, Spanish, German and French templates, so a model trained on some languages
// can be scored on the others. Deterministic (seeded), no dependencies.
//   node tools/lib/multilingual-ner.js LANGUAGES COUNT SEED [--untagged]   e.g. "en,es" 200 1
const [languages, count, seed, untagged] = [process.argv[2].split(','), +process.argv[3], +process.argv[4], process.argv[5] === '--untagged'];
const first = ['Anna', 'Carlos', 'Marie', 'John', 'Lena', 'Pablo', 'Claire', 'Peter', 'Sofia', 'Hans', 'Lucía', 'Jonas', 'Emma', 'Diego', 'Camille', 'David'];
const last = ['Schmidt', 'Ruiz', 'Dubois', 'Smith', 'Fischer', 'García', 'Martin', 'Brown', 'López', 'Weber', 'Moreau', 'Taylor'];
const places = ['Berlin', 'Madrid', 'Paris', 'London', 'Hamburg', 'Sevilla', 'Lyon', 'Boston', 'Valencia', 'München', 'Marseille', 'Dublin', 'Bilbao', 'Köln', 'Toulouse', 'Leeds'];
const templates = {
  en: ['{P} lives in {L} .', '{P} travelled to {L} last year .', 'Yesterday {P} met friends in {L} .', 'The office of {P} is near {L} .'],
  es: ['{P} vive en {L} .', '{P} viajó a {L} el año pasado .', 'Ayer {P} vio a sus amigos en {L} .', 'La oficina de {P} está cerca de {L} .'],
  de: ['{P} wohnt in {L} .', '{P} reiste letztes Jahr nach {L} .', 'Gestern traf {P} Freunde in {L} .', 'Das Büro von {P} liegt bei {L} .'],
  fr: ['{P} habite à {L} .', "{P} a voyagé à {L} l'année dernière .", 'Hier {P} a vu des amis à {L} .', 'Le bureau de {P} est près de {L} .'],
};
let state = seed >>> 0;
const next = n => { // mulberry32
  state = (state + 0x6D2B79F5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) / 4294967296 * n) | 0;
};
for (let i = 0; i < count; i++) {
  const language = languages[i % languages.length];
  const template = templates[language][next(templates[language].length)];
  const tokens = [], tags = [];
  for (const word of template.split(' ')) {
    const entity = word === '{P}' ? ['PER', first[next(first.length)] + ' ' + last[next(last.length)]] : word === '{L}' ? ['LOC', places[next(places.length)]] : null;
    if (!entity) { tokens.push(word); tags.push('O'); continue; }
    entity[1].split(' ').forEach((part, j) => { tokens.push(part); tags.push((j === 0 ? 'B-' : 'I-') + entity[0]); });
  }
  console.log(JSON.stringify(untagged ? { tokens, tags } : { tokens, tags, language }));
}
