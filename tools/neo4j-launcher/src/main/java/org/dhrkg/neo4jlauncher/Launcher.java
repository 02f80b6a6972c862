package org.dhrkg.neo4jlauncher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Runs a Neo4j community DBMS in this JVM with the Bolt connector on a loopback address, for tests.
 *
 * <p>Usage: {@code java -jar neo4j-launcher.jar --data DIR [--host 127.0.0.1] [--port 0]
 * [--password PW] [--pagecache 64m] [--ignore-stdin] [--delete-data-on-exit]}
 *
 * <p>When the DBMS is up it prints exactly one line {@code READY bolt://HOST:PORT} to stdout (port 0
 * means "any free port"; the line carries the port actually bound). Everything else goes to stderr
 * or to the logs under DIR. It stops cleanly on SIGTERM/SIGINT, or when its stdin reaches end of
 * file (so the parent process dying takes it down too), printing {@code STOPPED} to stderr. With
 * {@code --delete-data-on-exit} it then deletes DIR (a throwaway test database); without it DIR is
 * kept, and a later launcher can start on it again (after a crash too: Neo4j recovers it).
 *
 * <p>Without {@code --password} authentication is disabled; with it, auth is enabled and the user
 * {@code neo4j} gets that password (at least 8 characters, Neo4j's minimum).
 */
public final class Launcher {

    private Launcher() {}

    /** Command-line options. */
    private static final class Options {
        Path data;
        String host = "127.0.0.1";
        int port = 0;
        String password;
        long pageCacheBytes = ByteUnit.mebiBytes(64);
        boolean watchStdin = true;
        boolean deleteData = false;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("neo4j-launcher: " + e.getMessage());
            System.err.println("usage: neo4j-launcher --data DIR [--host H] [--port N] [--password PW]"
                    + " [--pagecache SIZE] [--ignore-stdin] [--delete-data-on-exit]");
            System.exit(2);
            return;
        }
        // Netty and the JDK read these when their classes load, so set them before Neo4j starts.
        System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        System.setProperty("jdk.nio.maxCachedBufferSize", "1024");
        System.setProperty("log4j2.disable.jmx", "true");

        // Neo4j writes a little to stdout; keep stdout for the READY line alone.
        PrintStream protocol = System.out;
        System.setOut(System.err);

        long started = System.nanoTime();
        DatabaseManagementService dbms;
        try {
            dbms = start(options);
        } catch (Exception e) {
            System.err.println("neo4j-launcher: Neo4j failed to start: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean(false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopping.compareAndSet(false, true)) {
                try {
                    dbms.shutdown();
                    if (options.deleteData) {
                        deleteTree(options.data);
                    }
                } finally {
                    System.err.println("STOPPED");
                    stopped.countDown();
                }
            }
        }, "neo4j-launcher-shutdown"));

        HostnamePort bolt;
        try {
            if (options.password != null) {
                setPassword(dbms, options.password);
            }
            bolt = boltAddress(dbms);
        } catch (RuntimeException e) {
            System.err.println("neo4j-launcher: Neo4j started but is not usable: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.err.printf("neo4j-launcher: Neo4j %s up in %d ms%n", neo4jVersion(), millis);
        protocol.println("READY bolt://" + bolt.getHost() + ":" + bolt.getPort());
        protocol.flush();

        if (options.watchStdin) {
            Thread watcher = new Thread(() -> {
                drain(System.in);
                System.err.println("neo4j-launcher: stdin closed, shutting down");
                System.exit(0);
            }, "neo4j-launcher-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DatabaseManagementService start(Options options) throws IOException {
        Files.createDirectories(options.data);
        return new DatabaseManagementServiceBuilder(options.data)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(options.host, options.port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(options.host, options.port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, options.password != null)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, options.pageCacheBytes)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.preallocate_store_files, false)
                // Bolt's Netty loops otherwise idle 2 x 5 s on shutdown waiting for stragglers.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();
    }

    /**
     * Sets the neo4j user's password (embedded transactions run with full rights). On a data
     * directory kept from an earlier run (started again after a crash) the user may have that
     * password already, which Neo4j refuses to set again: that is fine.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    java.util.Map.of("password", password));
        } catch (QueryExecutionException e) {
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    /** The address the Bolt connector actually bound (differs from the option when port is 0). */
    private static HostnamePort boltAddress(DatabaseManagementService dbms) {
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        ConnectorPortRegister ports = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class);
        HostnamePort address = ports.getLocalAddress(ConnectorType.BOLT);
        if (address == null) {
            throw new IllegalStateException("the Bolt connector did not register an address");
        }
        return address;
    }

    private static String neo4jVersion() {
        Package p = GraphDatabaseService.class.getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        return version == null ? "(version unknown)" : version;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("neo4j-launcher: could not delete " + root + ": " + e);
        }
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Discard: stdin only signals that the parent is still there.
            }
        } catch (IOException e) {
            // A broken stdin means the parent is gone too.
        }
    }

    private static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--data" -> options.data = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--host" -> options.host = value(args, ++i, arg);
                case "--port" -> options.port = port(value(args, ++i, arg));
                case "--password" -> options.password = value(args, ++i, arg);
                case "--pagecache" -> options.pageCacheBytes = ByteUnit.parse(value(args, ++i, arg));
                case "--ignore-stdin" -> options.watchStdin = false;
                case "--delete-data-on-exit" -> options.deleteData = true;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (options.data == null) {
            throw new IllegalArgumentException("--data DIR is required");
        }
        if (options.password != null && options.password.length() < 8) {
            throw new IllegalArgumentException("--password must have at least 8 characters");
        }
        return options;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be 0..65535, not " + text);
        }
    }
}
