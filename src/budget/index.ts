/** The budget layer's public face: the ledger's naming of what it charges. */
export { ledgerPhase } from './ledger.js';
