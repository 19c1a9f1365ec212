/** The CLI formats through the one format module the report uses too. */
export { duration, table, tokens, truncate, usd } from '../util/format.js';
