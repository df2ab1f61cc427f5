package dev.caravan.deploy;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@code deploy.insecureRegistry} may let jib fall back to plain HTTP and trust any certificate: only to
 * registries on this machine. jib applies the setting to every registry of a build, the base image's included, so
 * a base image pulled from another host forbids it.
 */
public final class InsecureRegistries {
    private static final String REGISTRY_SCHEME = "registry://";

    private InsecureRegistries() {}

    /** Why the setting cannot be allowed for this build; empty when every registry it talks to is local. */
    public static Optional<String> refusal(DeployTarget target, String image, String baseImage) {
        List<String> registries = new ArrayList<>();
        if (target == DeployTarget.REGISTRY) {
            registries.add("deploy.image's registry "
                    + registry(image.replace("{model}", "m").replace("{version}", "1")));
        }
        if (baseImage != null && baseImage.startsWith(REGISTRY_SCHEME)) {
            registries.add("deploy.baseImage's registry " + registry(baseImage.substring(REGISTRY_SCHEME.length())));
        }
        for (String registry : registries) {
            String host = registry.substring(registry.lastIndexOf(' ') + 1);
            if (!isLoopback(host)) {
                return Optional.of("deploy.insecureRegistry allows plain HTTP and unchecked certificates only for"
                        + " registries on this machine (localhost, 127.0.0.1, [::1]), but " + registry
                        + " is not one; take the base image from a tar:// file or a registry over TLS");
            }
        }
        return Optional.empty();
    }

    private static String registry(String reference) {
        try {
            return ImageReference.parse(reference).getRegistry();
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("'" + reference + "' is not a valid image reference", e);
        }
    }

    private static boolean isLoopback(String registry) {
        String host = registry.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return host.startsWith("[::1]");
        }
        int port = host.indexOf(':');
        host = port < 0 ? host : host.substring(0, port);
        return host.equals("localhost") || host.startsWith("127.");
    }
}
