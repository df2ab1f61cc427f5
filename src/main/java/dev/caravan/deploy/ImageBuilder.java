package dev.caravan.deploy;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.caravan.data.CaravanException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Builds the model server's image with jib-core: the base image (a JRE 17 image; {@code registry://},
 * {@code tar://} or {@code docker://} references work), then layers for the serving jars, the serving classes
 * and the model, a non-root user, the exposed port and provenance labels.
 */
public final class ImageBuilder {
    /** The uid the server runs as: not root, and not any user the base image is likely to define. */
    public static final String USER = "65532";

    private static final String APP = "/app";

    private final String mainClass;
    private final ServingClasspath classpath;
    private final String baseImage;
    private final String image;
    private final DeployTarget target;
    private final Path modelFile;
    private final Path workDir;
    private final int port;
    private final Map<String, String> labels;
    private final boolean allowInsecureRegistries;

    private ImageBuilder(Builder builder) {
        this.mainClass = builder.mainClass;
        this.classpath = builder.classpath;
        this.baseImage = builder.baseImage;
        this.image = builder.image;
        this.target = builder.target;
        this.modelFile = builder.modelFile;
        this.workDir = builder.workDir;
        this.port = builder.port;
        this.labels = Map.copyOf(builder.labels);
        this.allowInsecureRegistries = builder.allowInsecureRegistries;
    }

    public static Builder builder() {
        return new Builder();
    }

    public BuiltImage build() {
        try {
            Path classes = Files.createDirectories(workDir.resolve("image-classes"));
            classpath.copyClasses(classes);
            JibContainerBuilder container = Jib.from(baseImage)
                    .addLayer(classpath.jars(), AbsoluteUnixPath.get(APP + "/libs"))
                    .addFileEntriesLayer(FileEntriesLayer.builder()
                            .setName("classes")
                            .addEntryRecursive(classes, AbsoluteUnixPath.get(APP + "/classes"))
                            .build())
                    .addLayer(List.of(modelFile), AbsoluteUnixPath.get(APP + "/model"))
                    .addFileEntriesLayer(writableTmp())
                    .setEntrypoint(
                            "java",
                            "-cp",
                            APP + "/classes:" + APP + "/libs/*",
                            mainClass,
                            APP + "/model/" + modelFile.getFileName(),
                            String.valueOf(port))
                    .setExposedPorts(Port.tcp(port))
                    .setUser(USER)
                    .setLabels(labels);
            Path tar = target == DeployTarget.REGISTRY ? null : workDir.resolve("image.tar");
            Containerizer containerizer = target == DeployTarget.REGISTRY
                    ? Containerizer.to(RegistryImage.named(ImageReference.parse(image)))
                    : Containerizer.to(TarImage.at(tar).named(ImageReference.parse(image)));
            JibContainer built = container.containerize(containerizer
                    .setAllowInsecureRegistries(allowInsecureRegistries)
                    .setOfflineMode(false)
                    .setToolName("caravan"));
            if (target == DeployTarget.PODMAN) {
                PodmanLoader.load(tar);
            }
            return new BuiltImage(
                    image,
                    target,
                    built.getDigest().toString(),
                    built.getImageId().toString(),
                    tar == null ? null : tar.toString());
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("deploy: '" + e.getMessage() + "' is not a valid image reference", e);
        } catch (IOException | ExecutionException | RegistryException | CacheDirectoryCreationException e) {
            throw CaravanException.unavailable(
                    "cannot build image " + image + " from " + baseImage + ": " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CaravanException.unavailable("interrupted while building image " + image, e);
        }
    }

    /**
     * A /tmp the non-root user can write: ONNX Runtime unpacks its native library there, and Vert.x keeps its
     * cache there. A base image's /tmp may belong to root.
     */
    private FileEntriesLayer writableTmp() throws IOException {
        Path empty = Files.createDirectories(workDir.resolve("image-tmp"));
        return FileEntriesLayer.builder()
                .setName("tmp")
                .addEntry(empty, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"))
                .build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /**
     * Builds an {@link ImageBuilder}: the server (main class and class path), base image, image, target, model file
     * and work folder are required.
     */
    public static final class Builder {
        private String mainClass;
        private ServingClasspath classpath;
        private String baseImage;
        private String image;
        private DeployTarget target;
        private Path modelFile;
        private Path workDir;
        private int port = 8080;
        private Map<String, String> labels = Map.of();
        private boolean allowInsecureRegistries;

        private Builder() {}

        /** The program the image runs, {@code java -cp CLASSPATH MAIN_CLASS MODEL_FILE PORT}, and what it needs. */
        public Builder setServer(String mainClass, ServingClasspath classpath) {
            this.mainClass = mainClass;
            this.classpath = classpath;
            return this;
        }

        public Builder setBaseImage(String baseImage) {
            this.baseImage = baseImage;
            return this;
        }

        public Builder setImage(String image) {
            this.image = image;
            return this;
        }

        public Builder setTarget(DeployTarget target) {
            this.target = target;
            return this;
        }

        public Builder setModelFile(Path modelFile) {
            this.modelFile = modelFile;
            return this;
        }

        public Builder setWorkDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        public Builder optLabels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        /** Allows plain HTTP to registries (for a registry on localhost). */
        public Builder optAllowInsecureRegistries(boolean allow) {
            this.allowInsecureRegistries = allow;
            return this;
        }

        public ImageBuilder build() {
            if (mainClass == null || classpath == null) {
                throw new IllegalArgumentException("an image needs the server's main class and class path");
            }
            if (baseImage == null
                    || baseImage.isBlank()
                    || image == null
                    || image.isBlank()
                    || target == null
                    || target == DeployTarget.NONE
                    || modelFile == null
                    || workDir == null) {
                throw new IllegalArgumentException("an image needs deploy.baseImage, deploy.image, a target other"
                        + " than none, a model file and a work folder");
            }
            return new ImageBuilder(this);
        }
    }
}
