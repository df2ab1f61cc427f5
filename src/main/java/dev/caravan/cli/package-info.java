/**
 * The picocli commands: {@code caravan run}, {@code caravan resume}, {@code caravan runs list|show|search}
 * (search tables drawn by {@code SearchPrinter}), {@code caravan models ...}, {@code caravan serve} and
 * {@code caravan server}. Exit codes come from the error's kind: 0 success, 1 a failed run or unreachable
 * resource, 2 a usage, setting or not-found error. With {@code --json} stdout holds exactly one JSON object, made
 * from the registry's records by the one mapper; the text views are drawn from that same JSON. Logs go to stderr.
 */
package dev.caravan.cli;
