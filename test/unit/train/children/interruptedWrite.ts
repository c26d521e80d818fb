// Child process: writes a model folder of FILES files at OUT with writeFolderAtomically and kills itself with
// SIGKILL (no cleanup code can run) at STEP: 'mid-fill' (half the files written), or one of the WriteStep names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFolderAtomically, type WriteStep } from '../../../../src/train/modelFolderOutput';

const [out, step, files] = process.argv.slice(2);
const n = Number(files);
const die = () => process.kill(process.pid, 'SIGKILL');
writeFolderAtomically(
  out,
  (dir) => {
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ version: 'new' }));
    fs.writeFileSync(path.join(dir, 'model.onnx'), 'new');
    for (let i = 0; i < n; i++) {
      if (step === 'mid-fill' && i === n / 2) die();
      fs.writeFileSync(path.join(dir, `part-${i}.bin`), 'new');
    }
  },
  { replaceModel: true, onStep: (s: WriteStep) => (s === step ? die() : undefined) },
);
