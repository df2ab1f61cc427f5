package dev.caravan.deploy;

import dev.caravan.data.LowerCaseName;

/** Where the deploy stage puts the image. */
public enum DeployTarget implements LowerCaseName {
    /** No image: the stage records that nothing was deployed. */
    NONE,
    /** A docker-archive tar file ({@code podman load -i} or {@code docker load -i} takes it). */
    TAR,
    /** A push to a registry; plain HTTP is allowed for localhost registries. */
    REGISTRY,
    /** A tar loaded into the local podman store. */
    PODMAN
}
