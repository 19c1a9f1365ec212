/** Text that came from files or from model output, fenced as data so it cannot pose as instructions. */
export { fenceData } from '../util/data-fence.js';
