/**
 * {@code caravan server} assembled: {@link dev.caravan.server.CaravanServer} starts the pipeline runner, the
 * background runs, the schedules ({@code dev.caravan.schedule}) and the REST API ({@code dev.caravan.api}) on one
 * database, and stops them in an order that loses no run.
 */
package dev.caravan.server;
