/**
 * What the registry answers, as records: a run ({@link dev.caravan.registry.entity.Run}, the one shape every
 * listing and detail shares) and its detail, model versions, aliases and lineage. They are apart from the store
 * (which builds them) and from the wire format (the CLI and the REST API serialize them with the one mapper of
 * {@code dev.caravan.data.Json}).
 */
package dev.caravan.registry.entity;
