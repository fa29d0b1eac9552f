/** What one event says about one document of a projection: fields it sets, and fields it sets only if it creates the document. */
export interface EventFacts {
  /** The document's id (the visit, help case or Wi-Fi session the event is about). */
  id: string;
  eventId: string;
  set: Record<string, unknown>;
  setOnInsert: Record<string, unknown>;
}
