/** Claude Code's public face: whether its SDK is installed (the runtime itself is chosen by the phase layer). */
export { claudeAgentSdkMissing } from './sdk.js';
