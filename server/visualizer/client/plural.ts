/**
 * Counted nouns in bokmål: "1 sak", "2 saker", "0 saker". Bokmål's plural is every count but one.
 *
 * @example
 * counted(1, 'sak', 'saker') // '1 sak'
 */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
