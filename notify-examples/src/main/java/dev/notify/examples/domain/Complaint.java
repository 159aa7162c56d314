package dev.notify.examples.domain;

import java.time.LocalDateTime;

/**
 * A complaint (pengaduan) that waits for the standard auto-reply (seed 003's complaint queue).
 *
 * @param id database id
 * @param complainant who complained
 * @param phone their WhatsApp number
 * @param topic what it is about
 * @param receivedAt when it arrived (local time)
 */
public record Complaint(String id, String complainant, String phone, String topic, LocalDateTime receivedAt) {}
