/**
 * The registry REST API of {@code caravan server}, in the Camel rest DSL of {@code routes/api.yaml}, served by
 * platform-http on Vert.x ({@link dev.caravan.api.ApiServer}) in the server's one Camel context.
 *
 * <p>To add an endpoint: write a public method on {@link dev.caravan.api.RegistryApi} (registry data) or
 * {@link dev.caravan.api.ServerApi} (this server's state) that takes the path and query parameters as strings and
 * returns a record (or a JSON tree); in {@code routes/api.yaml} add the verb under {@code rest:} with
 * {@code to: direct:NAME}, and a route from {@code direct:NAME} whose one step is
 * {@code bean: {ref: registry, method: "name(${header.param})"}}. Path parameters ({@code {id}}) and query
 * parameters both arrive as headers; a body as {@code ${body}}. Writes (POST, PUT, DELETE...) need the bearer
 * token without further code. Errors are {@link dev.caravan.data.CaravanException}s, whose kind gives the status
 * (NOT_FOUND 404...), or {@link java.lang.IllegalArgumentException}s (400); set {@code CamelHttpResponseCode} in
 * the route for a success other than 200.
 */
package dev.caravan.api;
