/**
 * The picocli commands: {@code caravan run}, {@code caravan resume}, {@code caravan runs list|show|search}
 * (search tables drawn by {@code SearchPrinter}), {@code caravan models ...}, {@code caravan serve} and
 * {@code caravan server}. Exit codes:
 * 0 success, 1 a failed run, 2 a usage or configuration error. With {@code --json} stdout holds exactly one JSON
 * object; logs always go to stderr.
 */
package dev.caravan.cli;
