package dev.caravan.testing;

import dev.caravan.server.CaravanServer;
import dev.caravan.spec.PipelineCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code caravan server}s for API tests: loopback, any free port, a test's database. */
public final class TestServers {
    private TestServers() {}

    /**
     * Serves {@code pipelines} on {@code db}, runs kept under {@code dir/runs}; writes need {@code token} (null:
     * none allowed), and a body that has not arrived within {@code requestTimeout} gets 408.
     */
    public static CaravanServer start(
            TestDatabase db, Path dir, String token, Duration requestTimeout, List<Path> pipelines) {
        return CaravanServer.start(
                PipelineCatalog.load(pipelines, null),
                db.database(),
                new CaravanServer.Settings(
                        "127.0.0.1",
                        0,
                        token,
                        dir.resolve("runs"),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        requestTimeout));
    }
}
