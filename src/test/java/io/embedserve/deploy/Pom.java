package io.embedserve.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The project's pom.xml as a DOM, with the few look-ups the build tests need. */
final class Pom {

    private final Element project;

    private Pom(Element project) {
        this.project = project;
    }

    static Pom read() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(Shell.PROJECT.resolve("pom.xml").toFile());
            return new Pom(document.getDocumentElement());
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new IllegalStateException("cannot read pom.xml", e);
        }
    }

    /** The build plugin with this artifactId. */
    Element plugin(String artifactId) {
        for (Element plugin : children(child(child(project, "build"), "plugins"))) {
            if (text(plugin, "artifactId").equals(artifactId)) {
                return plugin;
            }
        }
        throw new AssertionError("pom.xml has no plugin " + artifactId);
    }

    static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    static Element child(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">"));
    }

    static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }
}
