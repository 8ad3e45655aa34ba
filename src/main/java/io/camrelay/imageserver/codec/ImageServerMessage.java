package io.camrelay.imageserver.codec;

/** One message of the ImageServer stream (docs/protocols.md §1.1): an XML document or an image. */
public sealed interface ImageServerMessage permits XmlMessage, ImageResponse {
}
