// Generated multilingual NER sentences (JSONL, IOB2 tags, a `language` field) for tools/multilingual-insight.sh:
// the same people and places in English, Spanish, German and French templates, so a model trained on some languages
// can be scored on the others. Deterministic (seeded), no dependencies.
//   node tools/lib/multilingual-ner.js LANGUAGES COUNT SEED [--untagged]   e.g. "en,es" 200 1
const [languages, count, seed, untagged] = [process.argv[2].split(','), +process.argv[3], +process.argv[4], process.argv[5] === '--untagged'];
const people = ['Anna Schmidt', 'Carlos Ruiz', 'Marie Dubois', 'John Smith', 'Lena Fischer', 'Pablo García', 'Claire Martin', 'Peter Brown', 'Sofia López', 'Hans Weber'];
const places = ['Berlin', 'Madrid', 'Paris', 'London', 'Hamburg', 'Sevilla', 'Lyon', 'Boston', 'Valencia', 'München'];
const templates = {
  en: ['{P} lives in {L} .', '{P} travelled to {L} last year .', 'Yesterday {P} met friends in {L} .', 'The office of {P} is near {L} .'],
  es: ['{P} vive en {L} .', '{P} viajó a {L} el año pasado .', 'Ayer {P} vio a sus amigos en {L} .', 'La oficina de {P} está cerca de {L} .'],
  de: ['{P} wohnt in {L} .', '{P} reiste letztes Jahr nach {L} .', 'Gestern traf {P} Freunde in {L} .', 'Das Büro von {P} liegt bei {L} .'],
  fr: ['{P} habite à {L} .', "{P} a voyagé à {L} l'année dernière .", 'Hier {P} a vu des amis à {L} .', 'Le bureau de {P} est près de {L} .'],
};
let state = seed >>> 0 || 1;
const next = n => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state % n; };
for (let i = 0; i < count; i++) {
  const language = languages[i % languages.length];
  const template = templates[language][next(templates[language].length)];
  const tokens = [], tags = [];
  for (const word of template.split(' ')) {
    const entity = word === '{P}' ? ['PER', people[next(people.length)]] : word === '{L}' ? ['LOC', places[next(places.length)]] : null;
    if (!entity) { tokens.push(word); tags.push('O'); continue; }
    entity[1].split(' ').forEach((part, j) => { tokens.push(part); tags.push((j === 0 ? 'B-' : 'I-') + entity[0]); });
  }
  console.log(JSON.stringify(untagged ? { tokens, tags } : { tokens, tags, language }));
}
