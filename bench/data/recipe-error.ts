/** Bad input to a data recipe: the message names the file or option, what was expected and what to do. */
export class RecipeError extends Error {
  override readonly name = 'RecipeError';
}
