package chainmap;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Embedded Neo4j Community server for tests: Bolt only, on 127.0.0.1:PORT, auth disabled.
 *
 * <p>Usage: {@code Neo4jTestServer PORT [DATADIR]}. Without DATADIR a fresh temporary directory is
 * used and deleted on exit. Once Bolt answers a handshake, exactly one line
 * {@code bolt://127.0.0.1:PORT} is written to stdout; everything else goes to stderr (user log)
 * or to DATADIR/logs/debug.log. SIGTERM / SIGINT shut the DBMS down cleanly and exit with 0.
 */
public final class Neo4jTestServer {

    private static final long BOLT_WAIT_MILLIS = 60_000;

    private static final CountDownLatch STOP_REQUESTED = new CountDownLatch(1);
    private static final Object LOCK = new Object();
    private static DatabaseManagementService dbms;
    private static Path tempDir;
    private static boolean stopped;

    private Neo4jTestServer() {}

    public static void main(String[] args) {
        // Reserve the real stdout for the single URI line; anything else printing to
        // System.out (libraries, stray logging) is sent to stderr instead.
        PrintStream uriOut = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Neo4jTestServer PORT [DATADIR]");
            System.exit(2);
        }
        int port;
        try {
            port = Integer.parseInt(args[0]);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            System.err.println("neo4j-test-server: invalid PORT '" + args[0] + "'");
            System.exit(2);
            return;
        }

        installSignalHandlers();
        // Fallback for any other orderly JVM exit (e.g. SIGHUP, System.exit from elsewhere).
        Runtime.getRuntime().addShutdownHook(new Thread(Neo4jTestServer::stop, "neo4j-test-server-shutdown"));

        try {
            Path home;
            if (args.length == 2) {
                home = Paths.get(args[1]).toAbsolutePath();
                Files.createDirectories(home);
            } else {
                home = Files.createTempDirectory("neo4j-test-server-");
                synchronized (LOCK) {
                    tempDir = home;
                }
            }
            System.err.println("neo4j-test-server: home directory " + home);

            DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(new Log4jLogProvider(System.err, Level.INFO))
                    // Bolt only, loopback only, no auth.
                    .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                    .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    // No call-home.
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                    // Modest memory / disk footprint.
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(Long.getLong("chainmap.pagecache.mb", 128)))
                    .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(512))
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.preallocate_store_files, false)
                    // Tests swing the database between empty and a few thousand records every few seconds.
                    // By default a cached plan older than 10 s is re-planned when the statistics moved by
                    // 75%, so the server planned the same queries again and again (a store read is one
                    // query of some 30 subqueries: ~0.5 s to plan, 15 ms to run). chainmap's lookups go by
                    // unique ids, so their plans do not depend on size. bench/bench_neo4j.py sets it back.
                    .setConfig(GraphDatabaseSettings.cypher_min_replan_interval,
                            Duration.ofSeconds(Long.getLong("chainmap.replan.seconds", 3600)))
                    // Don't let an abandoned client transaction hold up shutdown for long.
                    .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                    // Netty's default shutdown quiet period made Bolt shutdown take ~10 s even with no
                    // clients; quiet period 0 makes it ~10 ms. The waits below are only upper bounds.
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(3))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(3))
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(3))
                    .build();
            synchronized (LOCK) {
                dbms = service;
                if (stopped) {
                    // A stop request raced with start-up.
                    service.shutdown();
                    return;
                }
            }

            // Warm up Cypher and make sure the default database is really online.
            GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            db.executeTransactionally("RETURN 1");
            waitForBolt(port);
        } catch (Throwable t) {
            System.err.println("neo4j-test-server: failed to start: " + t);
            t.printStackTrace(System.err);
            stop();
            System.exit(1);
            return;
        }

        if (STOP_REQUESTED.getCount() > 0) {
            uriOut.println("bolt://127.0.0.1:" + port);
            uriOut.flush();
            System.err.println("neo4j-test-server: ready on bolt://127.0.0.1:" + port);
        }

        try {
            STOP_REQUESTED.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        System.exit(0);
    }

    /** SIGTERM/SIGINT: let the main thread shut down cleanly and exit 0 (instead of the JVM's 143/130). */
    @SuppressWarnings("removal")
    private static void installSignalHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    System.err.println("neo4j-test-server: received SIG" + name + ", shutting down");
                    STOP_REQUESTED.countDown();
                });
            } catch (Throwable t) {
                // Not fatal: the shutdown hook still stops the DBMS (exit status is then 128+signal).
                System.err.println("neo4j-test-server: cannot handle SIG" + name + ": " + t);
            }
        }
    }

    private static void stop() {
        synchronized (LOCK) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (dbms != null) {
                long t0 = System.nanoTime();
                try {
                    dbms.shutdown();
                    System.err.printf("neo4j-test-server: stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                } catch (Throwable t) {
                    System.err.println("neo4j-test-server: error during shutdown: " + t);
                }
            }
            if (tempDir != null) {
                deleteRecursively(tempDir);
            }
        }
    }

    /** Wait until the Bolt connector accepts a connection and answers the Bolt handshake. */
    private static void waitForBolt(int port) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + BOLT_WAIT_MILLIS;
        IOException last = null;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                // Magic preamble + four version proposals (5.0-5.8 range, 4.4, none, none).
                out.write(new byte[] {
                    (byte) 0x60, (byte) 0x60, (byte) 0xB0, (byte) 0x17,
                    0, 8, 8, 5,
                    0, 0, 4, 4,
                    0, 0, 0, 0,
                    0, 0, 0, 0
                });
                out.flush();
                InputStream in = s.getInputStream();
                byte[] reply = in.readNBytes(4);
                if (reply.length == 4) {
                    System.err.printf("neo4j-test-server: Bolt handshake ok (server chose %d.%d)%n", reply[3], reply[2]);
                    return;
                }
                last = new IOException("short Bolt handshake reply (" + reply.length + " bytes)");
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("Bolt did not answer on 127.0.0.1:" + port + " within " + BOLT_WAIT_MILLIS + " ms", last);
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("neo4j-test-server: could not delete " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            System.err.println("neo4j-test-server: could not delete " + root + ": " + e);
        }
    }
}
