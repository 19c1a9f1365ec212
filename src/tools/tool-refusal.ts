/**
 * A refused tool call: thrown inside a tool and turned into `{ isError: true, output: message }` by
 * `defineTool`, so the model reads what to do instead and the loop never sees an exception.
 */
export class ToolRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolRefusal';
  }
}

export function isErrnoCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}
