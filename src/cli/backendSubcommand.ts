import { describeTfjsRuntime, loadTfjs } from '../common/tfjsBackend';
import type { Subcommand } from './subcommand';

/** `model-lab backend`: which TensorFlow.js backend loads here, and whether onnxruntime-node loads. */
export const backendSubcommand: Subcommand = {
  name: 'backend',
  summary: 'show which inference runtimes load on this machine (onnxruntime-node, tfjs backend)',
  async run(args, io) {
    if (args.includes('--help')) {
      io.out('usage: model-lab backend [--json]');
      return 0;
    }
    const ort = await import('onnxruntime-node');
    const rt = await loadTfjs();
    const report = { onnxruntime: ort.env.versions.node ?? 'loaded', tfjsBackend: rt.backend, skipped: rt.skipped };
    io.out(args.includes('--json') ? JSON.stringify(report) : `onnxruntime-node ${report.onnxruntime}\n${describeTfjsRuntime(rt)}`);
    return 0;
  },
};
