// stopwords-iso ships its lists as one JSON file without type declarations.
declare module 'stopwords-iso' {
  const lists: Record<string, string[]>;
  export default lists;
}
