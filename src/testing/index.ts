/** Test utilities, exported so users can test their own workflows without network or API keys. */
export * from './model-script.js';
export * from './scripted-model.js';
