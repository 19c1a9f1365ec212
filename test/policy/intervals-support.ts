export { percentile, percentileRange, wilsonInterval } from '../../src/policy/intervals.js';
export { seededRandom as seededRandomForTest } from '../../src/policy/random.js';
