import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { WorkerClient } from '../../../src/common/workerClient';
import { trainText, type TrainProgressMessage, type TrainTextReply, type TrainTextRequest } from '../../../src/workers/trainProtocol';
import { toyData, writeEncoderFolder } from './frozenEncoderFixture';

const WORKER = path.resolve(__dirname, '../../../src/workers/trainWorker.ts');

function writeCsv(file: string, perClass: number): void {
  const data = toyData(perClass, 4);
  fs.writeFileSync(file, 'text,label\n' + data.texts.map((t, i) => `${t},${data.labelNames[data.labels[i]]}`).join('\n') + '\n');
}

/** Runs one request the way the command does: progress on a MessageChannel, optional cancel after the first head epoch. */
async function run(request: Omit<TrainTextRequest, 'port' | 'command'>, cancelOn?: RegExp): Promise<{ reply: TrainTextReply; messages: TrainProgressMessage[] }> {
  const client = new WorkerClient(WORKER);
  const channel = new MessageChannel();
  const messages: TrainProgressMessage[] = [];
  channel.port1.on('message', (m: TrainProgressMessage) => {
    messages.push(m);
    if (cancelOn?.test(m.message)) channel.port1.postMessage({ cancel: true });
  });
  try {
    const reply = await client.call(trainText, { ...request, command: 'test', port: channel.port2 }, { transfer: [channel.port2] });
    return { reply, messages };
  } finally {
    channel.port1.close();
    client.dispose();
  }
}

test('train worker: frozen-encoder recipe reports progress on the port and writes the model folder', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'train-worker-'));
  try {
    const encoder = path.join(root, 'encoder');
    writeEncoderFolder(encoder, { pooler: false });
    const dataFile = path.join(root, 'reviews.csv');
    writeCsv(dataFile, 20);
    const out = path.join(root, 'models', 'reviews-classifier');
    const { reply, messages } = await run({ dataFile, out, recipe: 'frozen-encoder', encoder, lr: 0.05 });
    assert.equal(reply.completed, true);
    assert.equal(reply.out, out);
    assert.equal(reply.heldOut, 8);
    assert.equal(reply.train, 32);
    assert.ok(reply.heldOutAccuracy >= 0 && reply.heldOutAccuracy <= 1);
    assert.ok(messages.length >= 3, `${messages.length} progress messages`);
    assert.match(messages[0].message, /40 texts, 2 classes \(negative, positive\)/);
    assert.equal(messages.at(-1)?.fraction, 1);
    for (const f of ['model.onnx', 'config.json', 'vocab.txt']) assert.ok(fs.existsSync(path.join(out, f)), f);
    assert.equal((JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as { provenance: { lr: number } }).provenance.lr, 0.05);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('train worker: bad data comes back as an error naming the file and line', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'train-worker-'));
  try {
    const dataFile = path.join(root, 'bad.csv');
    fs.writeFileSync(dataFile, 'text,label\nhello,a\n,b\nworld,a\n');
    await assert.rejects(run({ dataFile, out: path.join(root, 'out'), recipe: 'bert-tiny' }), /bad\.csv:3/);
    assert.ok(!fs.existsSync(path.join(root, 'out')));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('train worker: { cancel: true } on the port stops training and writes nothing', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'train-worker-'));
  try {
    const encoder = path.join(root, 'encoder');
    writeEncoderFolder(encoder, { pooler: true });
    const dataFile = path.join(root, 'reviews.csv');
    writeCsv(dataFile, 20);
    const { reply } = await run({ dataFile, out: path.join(root, 'out'), recipe: 'frozen-encoder', encoder }, /^encod/);
    assert.equal(reply.completed, false);
    assert.deepEqual(fs.readdirSync(root).sort(), ['encoder', 'reviews.csv']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
