// Where Export proposes the evaluation CSV: the workspace, named after the data, never inside an image folder
// (the next evaluation or training run would read the report among the images).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultEvaluationExportPath } from '../../../src/eval/exportReport';

test('an image folder inside the workspace: the report goes to that workspace folder, named after the images', () => {
  assert.equal(
    defaultEvaluationExportPath('/home/ada/proj/data/digits', { dataIsFolder: true, workspaceFolders: ['/home/ada/proj'] }),
    '/home/ada/proj/digits-evaluation.csv',
  );
});

test('a data file is named without its extension', () => {
  assert.equal(
    defaultEvaluationExportPath('/home/ada/proj/data/reviews.jsonl', { dataIsFolder: false, workspaceFolders: ['/home/ada/proj'] }),
    '/home/ada/proj/reviews-evaluation.csv',
  );
  assert.equal(
    defaultEvaluationExportPath('/home/ada/proj/pets.v2', { dataIsFolder: true, workspaceFolders: ['/home/ada/proj'] }),
    '/home/ada/proj/pets.v2-evaluation.csv',
    'a folder keeps a dot in its name',
  );
});

test('several workspace folders: the one holding the data wins (the innermost when they nest), else the first', () => {
  const workspaceFolders = ['/w/first', '/w/second', '/w/second/inner'];
  assert.equal(defaultEvaluationExportPath('/w/second/data/a.csv', { dataIsFolder: false, workspaceFolders }), '/w/second/a-evaluation.csv');
  assert.equal(defaultEvaluationExportPath('/w/second/inner/imgs', { dataIsFolder: true, workspaceFolders }), '/w/second/inner/imgs-evaluation.csv');
  assert.equal(defaultEvaluationExportPath('/elsewhere/imgs', { dataIsFolder: true, workspaceFolders }), '/w/first/imgs-evaluation.csv');
  assert.equal(
    defaultEvaluationExportPath('/w/secondary/imgs', { dataIsFolder: true, workspaceFolders }),
    '/w/first/imgs-evaluation.csv',
    'a sibling folder sharing a name prefix does not hold the data',
  );
});

test('no workspace: beside the data, in its parent folder', () => {
  assert.equal(defaultEvaluationExportPath('/srv/sets/digits', { dataIsFolder: true, workspaceFolders: [] }), '/srv/sets/digits-evaluation.csv');
  assert.equal(defaultEvaluationExportPath('/srv/sets/reviews.tsv', { dataIsFolder: false, workspaceFolders: [] }), '/srv/sets/reviews-evaluation.csv');
});

test('never inside the image folder, even when the workspace is that folder or lies inside it', () => {
  assert.equal(defaultEvaluationExportPath('/home/ada/digits', { dataIsFolder: true, workspaceFolders: ['/home/ada/digits'] }), '/home/ada/digits-evaluation.csv');
  assert.equal(defaultEvaluationExportPath('/home/ada/digits', { dataIsFolder: true, workspaceFolders: ['/home/ada/digits/7'] }), '/home/ada/digits-evaluation.csv');
  // A data file's own folder is fine: readers take the named file, not its neighbours.
  assert.equal(defaultEvaluationExportPath('/home/ada/proj/reviews.csv', { dataIsFolder: false, workspaceFolders: ['/home/ada/proj'] }), '/home/ada/proj/reviews-evaluation.csv');
});
