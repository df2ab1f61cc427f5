/**
 * The deploy stage: builds an OCI image of the model server with jib-core (no Docker engine): the serving
 * classpath only, the chosen ONNX file, labels with the model's provenance, a non-root user. Targets: a tar
 * file, a registry push, or a load into podman. Entry point: {@link dev.caravan.deploy.ImageBuilder}.
 */
package dev.caravan.deploy;
