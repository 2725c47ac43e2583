/** `text` as a LIKE pattern matching it anywhere, with `\` as the escape character. */
export const likePattern = (text: string): string => '%' + text.replace(/[\\%_]/g, c => '\\' + c) + '%'
