package dev.caravan.registry.entity;

import java.time.Instant;

/** An image built for a model version, and where it went. */
public record Deployment(
        String target,
        String image,
        String digest,
        String imageId,
        String tarFile,
        String status,
        Instant deployedAt) {}
