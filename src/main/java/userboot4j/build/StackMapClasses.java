package userboot4j.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build time only (pom.xml): copies the classes of a Java 5 library (picocli) into the build's classes as
 * Java 8 class files with stack maps, the same code. The class-data archive holds Java 5 classes but cannot
 * verify them when it is dumped, so the JVM verified them at every start with the old type-inferring
 * verifier; with stack maps they are verified once, at the dump (docs/PERFORMANCE.md).
 * Arguments: the library's jar, the package folder to take ({@code picocli/}), the classes directory.
 */
public final class StackMapClasses {
    private StackMapClasses() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: StackMapClasses JAR PACKAGE/ CLASSES-DIR");
        }
        Path out = Path.of(args[2]);
        try (ZipFile jar = new ZipFile(args[0])) {
            for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().startsWith(args[1]) && entry.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        Path target = out.resolve(entry.getName());
                        Files.createDirectories(target.getParent());
                        Files.write(target, withStackMaps(in.readAllBytes()));
                    }
                }
            }
        }
    }

    /** The class as a Java 8 class file, frames computed by ASM (old class files have none to keep). */
    static byte[] withStackMaps(byte[] classFile) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(Math.max(version, Opcodes.V1_8), access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return w.toByteArray();
    }
}
