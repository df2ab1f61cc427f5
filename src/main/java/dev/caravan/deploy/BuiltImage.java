package dev.caravan.deploy;

/**
 * An image the deploy stage built.
 *
 * @param reference the image name and tag
 * @param digest the image's manifest digest ({@code sha256:...})
 * @param imageId the image's config digest, as {@code podman images} shows it
 * @param tarFile for the tar and podman targets, the archive written; otherwise null
 */
public record BuiltImage(String reference, DeployTarget target, String digest, String imageId, String tarFile) {}
