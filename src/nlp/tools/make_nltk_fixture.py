#!/usr/bin/env python3
"""Writes src/nlp/fixtures/nltk-3.8.json: what real NLTK produces for varied inputs, so the
TypeScript ports can be checked without Python. Run once, from the repository root, with Debian
bookworm's packages (NLTK 3.8, whose tokenizer/lemmatizer code equals 3.8.1's, and WordNet 3.0):

    apt-get install -y python3-nltk wordnet-base
    /usr/bin/python3 src/nlp/tools/make_nltk_fixture.py DATA

DATA is a folder holding the benchmark files the texts are taken from: amber/query_all.json and
amber/relation.json (AMBER), mmhal/response_template.json (MMHal-Bench), objhal/synonyms_refine.txt.

Recorded: NLTKWordTokenizer().tokenize per sentence (exact reference for treebankTokenize);
WordNetLemmatizer().lemmatize per word over Debian's WordNet (exact reference for lemmatizeNoun);
the UNTRAINED PunktSentenceTokenizer() split of multi-sentence texts (a stand-in only: the
pretrained English Punkt model nltk.word_tokenize uses is not available offline). POS tags are not
recorded: NLTK's perceptron weights are not available offline either.
"""
import json
import os
import sys
import tempfile
import warnings

import nltk
from nltk.corpus.reader.wordnet import WordNetCorpusReader
from nltk.stem import WordNetLemmatizer
import nltk.stem.wordnet as nltk_stem_wordnet
from nltk.tokenize import NLTKWordTokenizer, PunktSentenceTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SHARED = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
OUT = os.path.join(ROOT, 'src', 'nlp', 'fixtures', 'nltk-3.8.json')

# WordNetCorpusReader also wants `lexnames` (lexicographer file names), which wordnet-base lacks;
# morphy never reads it, so the standard WordNet 3.0 list is written beside symlinks to the data.
LEXNAMES = ('adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute '
            'noun.body noun.cognition noun.communication noun.event noun.feeling noun.food '
            'noun.group noun.location noun.motive noun.object noun.person noun.phenomenon '
            'noun.plant noun.possession noun.process noun.quantity noun.relation noun.shape '
            'noun.state noun.substance noun.time verb.body verb.change verb.cognition '
            'verb.communication verb.competition verb.consumption verb.contact verb.creation '
            'verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative '
            'verb.weather adj.ppl').split()
POS_NUMBER = {'adj': 3, 'adv': 4, 'noun': 1, 'verb': 2}


def debian_wordnet():
    folder = tempfile.mkdtemp(prefix='wordnet-')
    for name in os.listdir('/usr/share/wordnet'):
        if '.' in name:
            os.symlink(os.path.join('/usr/share/wordnet', name), os.path.join(folder, name))
    with open(os.path.join(folder, 'lexnames'), 'w') as f:
        for i, name in enumerate(LEXNAMES):
            f.write(f"{i:02d}\t{name}\t{POS_NUMBER[name.split('.')[0]]}\n")
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # "multilingual functions are not available": not needed
        return WordNetCorpusReader(folder, None)


HAND_TEXTS = [
    'Two dogs are playing in the park. A man in a red shirt is throwing a frisbee.',
    "The woman's glasses are on the table, next to her keys.",
    "I can't see the cat; it's hiding under the bed (probably asleep).",
    'He said, "There are three buses parked outside." Then he left.',
    "She said 'hello' and waved -- then walked away.",
    'The price is $3.88 (roughly 3,36 euros) at 10:30 a.m. today.',
    'Mr. Smith and Dr. Jones visited the U.S. in 2019. They loved it.',
    'There are knives, forks, and spoons, e.g. cutlery, on the counter.',
    'The image shows a well-known landmark: the Eiffel Tower!',
    'Is that a giraffe? No, it\'s a zebra.',
    'The mice ran across the floor... The people screamed.',
    'Wait... what is that?',
    "You gotta see this! I wanna go, gimme a minute, lemme think, I'm gonna try.",
    "'Tis the season; 'twas the night before Christmas.",
    'Cannot believe the children\'s toys are [still] on the {floor} <here>.',
    'The boxes contain 12 apples, 3 oranges and 1.5 kg of grapes.',
    "They'd have left if they'd known; we'll see; you're right; I've got it; he'd better.",
    'The species of birds include sparrows, geese and swans.',
    '“Look at the photos,” she said, ‘they are beautiful.’',
    '«Bonjour» says the sign above the café.',
    'The data show an increase of 50% in sales & revenue #growth @company.',
    'The photo was taken on Jan. 5 at St. Peter\'s Square.',
    'A bowl of fruit (apples, bananas) sits on a wooden table.',
    'The vase -- which is blue -- holds some flowers.',
    'The man is wearing a T-shirt and jeans; his feet are bare.',
    "Don't touch the dog's tail! It doesn't like it.",
    "Y'all should've seen the wolves' den.",
    'The scissors*, knives** and axes are sharp.',
    'Q: What is in the image? A: A cat.',
    'The buses, taxis, and trucks wait at the crossroads.',
    'I think so.\nThe next line starts here.',
    'He scored 3. Then 4. then five.',
    'She is 5 ft. tall and weighs 120 lbs. The end.',
    'In the U.S.A. people drive on the right. In the U.K. they drive on the left.',
    'What a day!!! Really?! Yes.',
    "The 1990's were great, weren't they?",
    'Its leaves are green; their branches are long.',
    'The sign reads "STOP". A car waits.',
    'There is a (small) dog. (It is brown.) A cat watches.',
    'E.g. this one. I.e. that one.',
    # where Python's re and JavaScript's RegExp differ: Unicode \w \b \d \s, `$` before a final newline
    'Note:\n',
    'A list,\n',
    'The end.\n',
    'naïve café’s crème brûlée.',
    "L'été à Montréal n'est pas froid.",
    'Digits: ٣,٤ and 3,4 and ३:४.',
    'tab\tsep\u00a0nbsp\u2003em\u3000wide\x1cfs.',
    "rock 'n' roll, 'em, 'ere, 'ave, 'Tis, 'TWAS",
    "CANNOT, Gonna, WANNA go, wanna.",
    "ends with a quote'",
    'a "quote" in (brackets "here") and [``ticks\'\' too].',
    '`single tick` and ``` triple.',
    'x.) y.] z."',
    'the end .',
    'Dr.',
    '...',
    '',
]


def load_shared_texts():
    texts = []
    with open(os.path.join(SHARED, 'mmhal', 'response_template.json')) as f:
        for item in json.load(f):
            texts.append(item['question'])
            texts.append(item['gt_answer'])
    with open(os.path.join(SHARED, 'amber', 'query_all.json')) as f:
        queries = json.load(f)
    seen = set()
    for item in queries[::97]:  # a spread of the 15,220 queries, every kind represented
        if item['query'] not in seen:
            seen.add(item['query'])
            texts.append(item['query'])
    return texts


def vocabulary_words():
    words = []
    with open(os.path.join(SHARED, 'objhal', 'synonyms_refine.txt')) as f:
        for line in f:
            words.extend(w.strip() for w in line.split(', ') if w.strip())
    with open(os.path.join(SHARED, 'amber', 'relation.json')) as f:
        relation = json.load(f)
    for key, associated in relation.items():
        words.append(key)
        words.extend(associated)
    return words


TRICKY_NOUNS = (
    'glasses us mice feet people buses boxes knives species data geese teeth children women men '
    'wolves leaves lives wives halves shelves scarves calves loaves thieves dishes benches '
    'churches brushes foxes buzzes quizzes watches matches axes bases crises analyses theses '
    'oxen cacti fungi alumni criteria phenomena media news series means physics mathematics '
    'scissors trousers pants jeans shorts clothes sheep deer fish moose aircraft dice pennies '
    'ponies cities flies skies toys keys boys days monkeys chimneys potatoes tomatoes heroes '
    'pianos photos zeros radios studios kilos hippos bacteria stimuli indices matrices vertices '
    'appendices octopi octopuses platypuses buses gases lenses bonuses cactuses hoofs hooves '
    'roofs chiefs cliffs staffs dwarves dwarfs scarfs wharves men women firemen policemen '
    'Dogs Cats Glasses US UK TV TVs Frisbee frisbees iPhones ties bows seats toilets '
    'sandwiches waffles pizzas donuts doughnuts hot_dogs ice_cream horses cows zebras giraffes '
    'elephants bears birds cats dogs surfboards skis snowboards kites laptops umbrellas '
    'cellphones remotes ovens sinks refrigerators clocks vases teddy_bears hair_driers '
    'toothbrushes wine_glasses cups forks spoons bowls bananas apples oranges broccoli carrots '
    'is was has does goes as its this yes bus gas glass grass class mess boss kiss less '
    'ss s es ies ses ves xes zes ches shes men a an the '
).split()


def words_for_lemmas(token_lists, lexicon_words, exceptions):
    words = list(TRICKY_NOUNS) + lexicon_words
    for tokens in token_lists:
        for t in tokens:
            words.extend([t, t.lower()])
    words.extend(exceptions[::10])  # every tenth noun.exc entry
    # suffix-rule stress: plural-looking forms of vocabulary words, regular or not
    for w in lexicon_words[::3]:
        words.extend([w + 's', w + 'es', w + 'ies', w.capitalize()])
    seen, unique = set(), []
    for w in words:
        if w not in seen:
            seen.add(w)
            unique.append(w)
    return unique


def main():
    wn = debian_wordnet()
    nltk_stem_wordnet.wn = wn  # WordNetLemmatizer reads the module's `wn`
    lemmatizer = WordNetLemmatizer()
    word_tokenizer = NLTKWordTokenizer()
    untrained_punkt = PunktSentenceTokenizer()

    texts = HAND_TEXTS + load_shared_texts()
    split = [{'text': t, 'sentences': untrained_punkt.tokenize(t)} for t in texts]
    sentences = [s for item in split for s in item['sentences']] + texts
    tokenized = [{'sentence': s, 'tokens': word_tokenizer.tokenize(s)} for s in sentences]

    with open('/usr/share/wordnet/noun.exc') as f:
        exceptions = [line.split()[0] for line in f if line.strip()]
    words = words_for_lemmas([t['tokens'] for t in tokenized], vocabulary_words(), exceptions)
    lemmas = [[w, lemmatizer.lemmatize(w)] for w in words]

    fixture = {
        'generator': 'src/nlp/tools/make_nltk_fixture.py',
        'nltk': nltk.__version__,
        'wordnet': wn.get_version(),
        'tokenize': tokenized,
        'lemmatize': lemmas,
        'untrained_punkt': split,
    }
    with open(OUT, 'w') as f:
        json.dump(fixture, f, ensure_ascii=False, indent=0)
        f.write('\n')
    print(f'{OUT}: {len(tokenized)} tokenized sentences, {len(lemmas)} lemmas, {len(split)} split texts')


if __name__ == '__main__':
    main()
