/**
 * A validated DTO as plain JSON — no class instances, no undefined fields — typed as the domain command input it
 * becomes (the domain checks its meaning).
 */
export function plain<Input>(dto: object): Input {
  return JSON.parse(JSON.stringify(dto)) as Input;
}
