/**
 * The scripted model's own face: the model that answers from a script, without the fake LLM server. The CLI wires
 * scripted providers through this face, so `phasewise run` does not load the server (and `node:http`) at start;
 * `testing/index.ts` exports both for users' tests.
 */
export * from '../model-script.js';
export * from '../scripted-model.js';
