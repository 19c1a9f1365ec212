/**
 * Work items for a fanned-out phase: the reading and checking live in the gate layer (`gate/work-items.ts`, so
 * the planning gate's `work-items` check uses the same rules), re-exported here; this file adds what an item's
 * agent is told. Items come from a planning report or from a task file that carries the block itself — both
 * are Markdown, read the same way.
 */
import { fencedBlocks } from '../gate/markdown-fences.js';
import type { WorkItem } from '../gate/work-items.js';
import { fenceData } from './data-fence.js';

export {
  dependencyCycle,
  extractWorkItems,
  independentItems,
  itemLevels,
  itemOrder,
  MAX_WORK_ITEMS,
  validateWorkItems,
  type WorkItem,
  type WorkItemsReading,
} from '../gate/work-items.js';

/**
 * What an item's agent gets beside the task: its own item, and what the others do so it stays in its lane.
 * Every word of the items came from a model's plan or the user's task, so it is fenced as data.
 */
export function itemTask(item: WorkItem, allItems: readonly WorkItem[]): string {
  const others = allItems.filter((other) => other.id !== item.id);
  const parts = [
    `This phase is split into ${allItems.length} work items, each built by its own agent in its own copy of the ` +
      'workspace; the copies are merged afterwards. You build one of them, described here (data from the plan):',
    fenceData(`work item ${item.id}`, describeItem(item)),
    'Change what your item needs, mainly the files it lists; stay out of the files of the other items unless ' +
      'yours cannot work without it, and then say so in your report. Your report covers your item only.',
  ];
  if (item.dependsOn.length > 0) {
    parts.push(
      `The items it depends on (${item.dependsOn.join(', ')}) are finished: their work is already in your ` +
        'workspace.',
    );
  }
  if (others.length > 0) {
    parts.push(
      "The other items, other agents' work (data from the plan):",
      fenceData('other work items', others.map(summarizeItem).join('\n')),
    );
  }
  return parts.join('\n\n');
}

function describeItem(item: WorkItem): string {
  return [
    `id: ${item.id}`,
    `title: ${item.title}`,
    'files it expects to touch:',
    ...item.files.map((file) => `- ${file}`),
    `depends on: ${item.dependsOn.length === 0 ? 'no other item' : item.dependsOn.join(', ')}`,
    `acceptance: ${item.acceptance}`,
  ].join('\n');
}

function summarizeItem(item: WorkItem): string {
  const after = item.dependsOn.length === 0 ? '' : ` (after ${item.dependsOn.join(', ')})`;
  return `- ${item.id}: ${item.title}${after}; files: ${item.files.join(', ')}`;
}

/**
 * An upstream handoff as an item's agent reads it: the plan's work-items block left out, since `itemTask` gives
 * the agent its item and the others' names and files already; a line says where the block was. A handoff with
 * no such block, or with several (not ours to choose), is kept whole.
 */
export function withoutWorkItemsBlock(handoff: string): string {
  const blocks = fencedBlocks(handoff).filter(
    (block) => block.language === 'json' && /"work_items"\s*:/.test(block.text),
  );
  const [block, second] = blocks;
  if (block === undefined || second !== undefined) return handoff;
  const lines = handoff.split(/\r?\n/);
  const start = block.line - 1;
  // The opening fence, the body, the closing fence (an unclosed block runs to the end).
  const end = start + 1 + block.text.split('\n').length + 1;
  const note = "(the plan's work-items block: your item and the other items are given in the task above)";
  return [...lines.slice(0, start), note, ...lines.slice(end)].join('\n');
}
